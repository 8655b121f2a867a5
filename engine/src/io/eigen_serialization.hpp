#pragma once
// Boost.Serialization of Eigen dense matrices and vectors: rows, cols, then the
// coefficients as one contiguous array.

#include <Eigen/Core>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/split_free.hpp>

namespace boost::serialization {

template <class Archive, typename Scalar, int Rows, int Cols, int Options, int MaxRows, int MaxCols>
void save(Archive& archive, const Eigen::Matrix<Scalar, Rows, Cols, Options, MaxRows, MaxCols>& matrix,
          unsigned /*version*/)
{
    Eigen::Index rows = matrix.rows();
    Eigen::Index cols = matrix.cols();
    archive << rows << cols;
    archive << boost::serialization::make_array(matrix.data(), static_cast<std::size_t>(matrix.size()));
}

template <class Archive, typename Scalar, int Rows, int Cols, int Options, int MaxRows, int MaxCols>
void load(Archive& archive, Eigen::Matrix<Scalar, Rows, Cols, Options, MaxRows, MaxCols>& matrix,
          unsigned /*version*/)
{
    Eigen::Index rows = 0;
    Eigen::Index cols = 0;
    archive >> rows >> cols;
    // A corrupt size must not turn into a huge allocation.
    constexpr Eigen::Index kLimit = Eigen::Index(1) << 32;
    if (rows < 0 || cols < 0 || (cols != 0 && rows > kLimit / cols))
        throw std::length_error("matrix size in archive is out of range");
    matrix.resize(rows, cols);
    archive >> boost::serialization::make_array(matrix.data(), static_cast<std::size_t>(matrix.size()));
}

template <class Archive, typename Scalar, int Rows, int Cols, int Options, int MaxRows, int MaxCols>
void serialize(Archive& archive, Eigen::Matrix<Scalar, Rows, Cols, Options, MaxRows, MaxCols>& matrix,
               unsigned version)
{
    split_free(archive, matrix, version);
}

} // namespace boost::serialization
