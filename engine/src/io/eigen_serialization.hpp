#pragma once
// Boost.Serialization of Eigen dense matrices and vectors: rows, cols, then the
// coefficients as one contiguous array. Loading checks the sizes against the bytes left
// in the archive before allocating (core::InputArchive::requireBytes).

#include <cstddef>
#include <limits>
#include <string>

#include <Eigen/Core>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/split_free.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/input_archive.hpp"

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
    // A corrupt size must not turn into a huge allocation: the coefficients must fit
    // into what is left of the archive.
    const auto rowCount = static_cast<std::size_t>(rows);
    const auto colCount = static_cast<std::size_t>(cols);
    if (rows < 0 || cols < 0 || (Rows != Eigen::Dynamic && rows != Rows) || (Cols != Eigen::Dynamic && cols != Cols) ||
        (colCount != 0 && rowCount > std::numeric_limits<std::size_t>::max() / colCount)) {
        std::string message = "the model file is damaged: a matrix has an impossible size (";
        message.append(std::to_string(rows)).append(" x ").append(std::to_string(cols)).append(")");
        throw stepwise::core::ArchiveError(message);
    }
    archive.requireBytes(rowCount * colCount, sizeof(Scalar), "matrix coefficients");
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
